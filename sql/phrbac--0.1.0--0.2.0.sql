-- phrbac--0.1.0--0.2.0.sql: upgrades an installed 0.1.0 to 0.2.0 (README,
-- "Upgrading").  Every schema change of 0.2.0 lands here as well as in the
-- install script; the upgrade test compares the two.

\echo Use "ALTER EXTENSION phrbac UPDATE TO '0.2.0'" to load this file. \quit
