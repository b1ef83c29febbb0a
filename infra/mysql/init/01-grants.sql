-- Runs once, when the MySQL container creates its data directory.
-- The application user owns the valuetier database (migrations create and alter its tables).
GRANT ALL PRIVILEGES ON valuetier.* TO 'valuetier'@'%';
-- Integration tests make and drop their own databases named vt_*; allow that for a local run
-- of `npm test` against this container (TEST_DATABASE_URL=mysql://valuetier:valuetier@127.0.0.1:3306).
GRANT ALL PRIVILEGES ON `vt\_%`.* TO 'valuetier'@'%';
FLUSH PRIVILEGES;
