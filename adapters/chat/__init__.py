"""What every chat platform shares: the services it is given, the platform interface, the group
quiz's effect executor, push delivery and routing, coalesced edits. Platforms supply only how
they send."""
