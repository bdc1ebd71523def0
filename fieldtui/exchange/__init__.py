"""Data exchange: spreadsheets in and out, bundles and merges, reports, the demo store."""
