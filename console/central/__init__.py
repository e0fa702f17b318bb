"""The central server's use cases: accounts and sign-in, console enrolment, the mutation
engine and the work order's rules, the sync ledger and change feed, case queries, Open311.
No HTTP: `console.server` puts them on the network."""
