-- One PostgreSQL server for the compose topology, one database per service (each service's
-- migrations create its schema inside its own database at start).
CREATE DATABASE catalog;
CREATE DATABASE inventory;
CREATE DATABASE users;
CREATE DATABASE orders;
CREATE DATABASE notifications;
