package main

// registerModels are the models over the rosters (docs/REGISTERS.md): the
// sample loads its simulated rosters, so every build has them.
var registerModels = []string{"hitech_enterprise_status", "hitech_enterprise_flows_monthly", "hitech_enterprise_flows",
	"hitech_outlook", "hitech_reconciliation", "cultivation_candidates", "platform_counts", "platform_new_ytd"}
