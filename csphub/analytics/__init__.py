"""Pure analytics: arrays in, results out. No Django, no database."""
