"""360 feedback: templates, requests and cycles, invitations, anonymous responses and results."""
