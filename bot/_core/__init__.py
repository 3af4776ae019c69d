"""The engine's internals. Nothing here is public API; `bot` re-exports the little that is."""
