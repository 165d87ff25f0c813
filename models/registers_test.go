package models_test

// registerModels are the models over the rosters (docs/REGISTERS.md), built
// with the others.
var registerModels = []string{"hitech_enterprise_status", "hitech_enterprise_flows_monthly", "hitech_enterprise_flows",
	"hitech_outlook", "hitech_reconciliation", "cultivation_candidates", "platform_counts", "platform_new_ytd"}
