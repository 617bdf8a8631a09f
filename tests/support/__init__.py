"""What the tests share: snapshot builders, fault injection, read-backs, clients and fake time."""
