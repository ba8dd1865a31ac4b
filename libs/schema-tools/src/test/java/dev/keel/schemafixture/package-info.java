/** Entities in two schemas: public and one of the changelog's own. */
package dev.keel.schemafixture;
