// Package drift holds concept-drift detectors that reproduce River 0.26.1:
// ADWIN (river.drift.ADWIN), Page-Hinkley (river.drift.PageHinkley) and DDM
// (river.drift.binary.DDM).
//
// Every detector implements Detector. Update feeds one value and reports
// whether that update detected a drift; DriftDetected repeats the answer of
// the last update. As in River, the update that follows a detection first
// resets the detector, so the state right after a detection (for ADWIN: the
// shrunk window, its width and estimation) stays readable until the next
// value arrives. Hoeffding adaptive trees and adaptive random forests rely on
// exactly that order.
//
// ADWIN follows the arithmetic order of River's Rust core
// (rust_src/adwin.rs, itself a line port of the former adwin_c.pyx), so
// widths, totals, variances and estimations agree with River bit for bit on
// streams whose values agree bit for bit.
//
// Detectors can be written into model snapshots with EncodeDetector and read
// back with DecodeDetector, whatever their concrete type.
package drift
