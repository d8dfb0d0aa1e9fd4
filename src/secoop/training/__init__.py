"""International education and training: courses, plans, the CETPP, students, screening, ITOs (SPEC §7)."""
