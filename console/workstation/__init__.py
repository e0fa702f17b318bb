"""The console's use cases, on the workstation's own database: intake, caller history, cases
and notes, drafts, who is at the seat. No Qt, no HTTP."""
