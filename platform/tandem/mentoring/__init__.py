"""Mentoring: mentor profiles, mentee requests, match runs and proposals, invitations, mentorships."""
