-- One login per identity across the cluster: every login on any node
-- raises the identity's epoch and names the node; a node whose connection
-- of that identity has a lower epoch closes it (the takeover of §3.3).
CREATE TABLE chat_sessions (
    identity TEXT   PRIMARY KEY,
    epoch    BIGINT NOT NULL,
    node     TEXT   NOT NULL
);
