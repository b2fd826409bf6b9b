-- Run once by the MySQL image when its volume is new (docker-compose.yml mounts this folder at
-- /docker-entrypoint-initdb.d). The tables are not created here: Pass Console creates and
-- migrates them itself at start-up (`pass-batch migrate`, db/migrations/), so a database made
-- by hand and one made by this container end up the same.
ALTER DATABASE pass_local CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
GRANT ALL PRIVILEGES ON pass_local.* TO 'pass_local_user'@'%';
FLUSH PRIVILEGES;
