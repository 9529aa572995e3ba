// Package models is the registry of models by name. The CLI (rivulet eval,
// throughput, consume, serve) and the notebooks build models through it, so a
// model registered here is available everywhere with the same parameters.
//
// Hyper-parameters are given as River names and string values
// ("grace_period=100", "nominal_attributes=elevel,car,zipcode"). Parameters
// of a nested model use a dotted prefix: for SRP, "model=hat" picks the base
// learner and "model.grace_period=100" sets its grace period.
package models
