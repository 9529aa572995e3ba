// Package synth generates synthetic data streams: River's classic
// generators and the linear-model stream of the original sender notebook
// (y = B x + w with B drawn once from a normal-Wishart prior).
//
// Every generator is seedable: the same seed gives the same stream.
package synth
