"""Learning: the skills catalogue, role profiles, skill profiles and evidence, gaps, learning plans."""
