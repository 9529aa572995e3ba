// Package feature holds the record representation every rivulet model
// consumes: a Vector of feature values, dense or sparse, and a Schema that
// names the features and marks the nominal ones.
//
// River passes records as dicts; a dict key that is absent means the feature
// is missing from the record, which is different from a value of zero.
// Vector keeps that distinction:
//
//   - Dense vectors (Idx == nil) hold the value of feature i at Val[i]. A NaN
//     marks a missing feature. Dense vectors cost no allocation per record
//     when the caller reuses Val.
//   - Sparse vectors list the present features in Idx, ascending, with their
//     values in Val. A feature not listed is missing. MaliciousURL records
//     (3.2 million possible features, about 110 present) use this form.
//
// Nominal features carry a numeric code: the category's integer value, or a
// code interned through Schema.Code for string categories.
package feature
