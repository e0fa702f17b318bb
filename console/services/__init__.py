"""Use cases: intake, caller history, cases, drafts, workstation setup. No Qt."""
