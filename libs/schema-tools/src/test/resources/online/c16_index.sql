CREATE INDEX ix_fixture_notes__written ON fixture_notes (written);
