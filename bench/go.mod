module github.com/gowasm/gowasm/bench

go 1.26

require (
	github.com/gowasm/gowasm v0.0.0
	github.com/tetratelabs/wazero v1.12.0
)

require golang.org/x/sys v0.44.0 // indirect

replace github.com/gowasm/gowasm => ../
