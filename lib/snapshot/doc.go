// Package snapshot writes and reads versioned binary model snapshots.
//
// A snapshot is
//
//	magic "RVLTSNAP" | format version (uint16 LE) | kind (uvarint length + bytes)
//	| payload length (uvarint) | payload | CRC-32 (IEEE, LE) of all preceding bytes
//
// Each model kind registers a decoder under a stable name
// ("tree.HoeffdingTreeClassifier", ...). The payload is the model's own
// encoding through Encoder, which starts with the model's own version number
// so a model can evolve its layout. Read verifies magic, version, length and
// checksum before any model code runs, and decoders bound every length by
// the bytes that remain, so a corrupt, truncated or foreign snapshot is an
// error, never a panic or a huge allocation.
package snapshot
