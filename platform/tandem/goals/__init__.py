"""Goals: SMART goals, milestones, action-plan tasks, obstacles, check-ins, templates, celebrations."""
