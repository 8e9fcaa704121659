-- documentation.sql: every object phrbac installs explains itself in \df+,
-- \dT+, \do+, \d+ and \dv+: each has a comment (README, "Layout").  Lists
-- the objects without one; the list must stay empty.

SELECT pg_catalog.pg_describe_object(d.classid, d.objid, 0) AS undocumented
FROM pg_catalog.pg_depend AS d
JOIN pg_catalog.pg_extension AS e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
  AND d.deptype = 'e'
  AND e.extname = 'phrbac'
  AND d.classid <> 'pg_catalog.pg_class'::regclass	-- tables and views, below
  -- each operator class makes its family implicitly, and describes it
  AND d.classid <> 'pg_catalog.pg_opfamily'::regclass
  -- a table's row type and a type's array type (extension members of their
  -- own on PostgreSQL 18) are described by the table and the type
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_type AS t
                  WHERE d.classid = 'pg_catalog.pg_type'::regclass AND t.oid = d.objid
                    AND (t.typrelid <> 0 OR t.typcategory = 'A'))
  AND pg_catalog.obj_description(d.objid, d.classid::regclass::name) IS NULL
UNION ALL
SELECT c.oid::regclass::text
FROM pg_catalog.pg_class AS c
WHERE c.relnamespace = 'phrbac'::regnamespace
  AND c.relkind IN ('r', 'v', 'p')
  AND pg_catalog.obj_description(c.oid, 'pg_class') IS NULL
ORDER BY 1;

-- The objects looked at, so that an empty list above cannot come from
-- looking in the wrong place.
SELECT count(*) AS documented
FROM pg_catalog.pg_depend AS d
WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'phrbac')
  AND d.deptype = 'e'
  AND pg_catalog.obj_description(d.objid, d.classid::regclass::name) IS NOT NULL;
