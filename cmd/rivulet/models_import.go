package main

// Every model package registers its models in lib/models from init; this
// import makes them all available to rivulet's commands by name.
import _ "github.com/rivulet-ml/rivulet/lib/models/all"
