"""Importers: turn third-party downloads (UN Comtrade) into the kit's tables in a user's data directory."""
