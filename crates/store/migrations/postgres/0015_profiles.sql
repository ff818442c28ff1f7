-- What a person says about themselves on their profile: their name in two parts, their
-- organization (as typed, and the directory's entry when the name is one), stakeholder
-- group, country (ISO 3166-1 alpha-2) and the language they want pages and mail in.

ALTER TABLE users ADD COLUMN given_name TEXT;
ALTER TABLE users ADD COLUMN family_name TEXT;
ALTER TABLE users ADD COLUMN organization TEXT;
ALTER TABLE users ADD COLUMN organization_id BIGINT REFERENCES organizations(id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN stakeholder_group TEXT;
ALTER TABLE users ADD COLUMN country TEXT;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
