"""What people read: tables, the run folder, charts and the report."""
