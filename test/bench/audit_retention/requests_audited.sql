-- 100 write requests to an audited table, run by the server.
CALL bench_requests('insights_audited', 100);
