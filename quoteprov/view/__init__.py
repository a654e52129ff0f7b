"""What people see: HTML and text views, plots, data frames."""
