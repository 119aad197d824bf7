"""Policy packs: each school procedure as versioned rules plus a small stage machine."""
