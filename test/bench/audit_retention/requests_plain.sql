-- 100 write requests to the same table not audited, run by the server.
CALL bench_requests('insights_plain', 100);
