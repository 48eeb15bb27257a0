-- Server settings that must survive restarts and be the same for every
-- process on the database: today the secret that salts the public
-- feedback's address hash (an unsalted SHA-256 of an IPv4 address is
-- reversed by trying all 4 billion of them).
create table settings (
    key text primary key,
    value text not null
);
