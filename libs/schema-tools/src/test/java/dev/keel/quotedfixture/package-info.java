/** Entities whose tables and columns need quoting: a reserved word, upper and mixed case. */
package dev.keel.quotedfixture;
