// Package tree implements River's Hoeffding trees for classification:
// HoeffdingTreeClassifier (VFDT) and HoeffdingAdaptiveTreeClassifier (HAT).
package tree
