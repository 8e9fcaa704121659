-- 100 write requests (insert an insight, then update it), run by the server.
SET ROLE bench_writer;
CALL write_requests_noop(100, :project);
