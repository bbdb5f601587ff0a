package preview2

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gowasm/gowasm/component"
)

// RunExport returns the name of inst's wasi:cli/run export function
// ("wasi:cli/run@0.2.x#run", any 0.2 version), or "".
func RunExport(inst *component.Instance) string {
	for _, name := range inst.Exports() {
		iface, fn, ok := strings.Cut(name, "#")
		if ok && fn == "run" && strings.HasPrefix(iface, "wasi:cli/run@0.2.") {
			return name
		}
	}
	return ""
}

// Run calls the wasi:cli/run export of inst (any 0.2.x version). It
// returns nil when run returns ok or the guest calls exit with ok (or
// exit-with-code 0), an *ExitError when run returns an error (code 1) or
// the guest exits with an error or a non-zero code, and the call's error
// (a trap...) otherwise.
func Run(ctx context.Context, inst *component.Instance) error {
	name := RunExport(inst)
	if name == "" {
		return errors.New("preview2: the component exports no wasi:cli/run@0.2.x interface")
	}
	res, err := inst.Func(name).Call(ctx)
	if err != nil {
		var exit *ExitError
		if errors.As(err, &exit) {
			if exit.Code == 0 {
				return nil
			}
			return exit
		}
		return err
	}
	if len(res) != 1 || res[0].Kind != component.KindResult {
		return fmt.Errorf("preview2: %s returned %v, want a result", name, res)
	}
	if res[0].IsErr() {
		return &ExitError{Code: 1}
	}
	return nil
}

// interfaces are the interfaces Define defines (at version Version).
func interfaces() []string {
	return []string{
		"wasi:io/error", "wasi:io/poll", "wasi:io/streams",
		"wasi:cli/environment", "wasi:cli/exit", "wasi:cli/stdin", "wasi:cli/stdout", "wasi:cli/stderr",
		"wasi:cli/terminal-input", "wasi:cli/terminal-output",
		"wasi:cli/terminal-stdin", "wasi:cli/terminal-stdout", "wasi:cli/terminal-stderr",
		"wasi:clocks/wall-clock", "wasi:clocks/monotonic-clock",
		"wasi:random/random", "wasi:random/insecure", "wasi:random/insecure-seed",
		"wasi:filesystem/types", "wasi:filesystem/preopens",
		"wasi:http/types", "wasi:http/outgoing-handler",
		"wasi:sockets/network", "wasi:sockets/instance-network",
		"wasi:sockets/tcp", "wasi:sockets/tcp-create-socket",
		"wasi:sockets/udp", "wasi:sockets/udp-create-socket",
		"wasi:sockets/ip-name-lookup",
	}
}

// Supported reports whether the host defines the interface name
// ("wasi:io/streams@0.2.3", with or without "#item"): one of its
// interfaces at a 0.2.x version.
func Supported(name string) bool {
	iface, _, _ := strings.Cut(name, "#")
	base, ver, ok := strings.Cut(iface, "@")
	if !ok || !strings.HasPrefix(ver, "0.2.") || strings.ContainsAny(ver, "-+") {
		return false
	}
	for _, s := range interfaces() {
		if s == base {
			return true
		}
	}
	return false
}

// DefineUnsupported defines, in l, every function of the wasi:
// interfaces c imports that the host does not implement (unstable
// interfaces, WASI 0.3...) as a function that fails when called, with
// the type c imports it with, and returns the names of those interfaces.
// A component that imports them only in case then runs with the host alone as long as
// it does not call them. Imports outside wasi: are left alone.
func DefineUnsupported(l *component.Linker, c *component.Component) ([]string, error) {
	imps, err := c.Imports()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, im := range imps {
		if !strings.HasPrefix(im.Name, "wasi:") || Supported(im.Name) {
			continue
		}
		switch im.Desc.Kind {
		case component.ExternInstance:
			for _, n := range im.Desc.Instance.Names {
				if d := im.Desc.Instance.Exports[n]; d.Kind == component.ExternFunc {
					if err := l.DefineFunc(im.Name+"#"+n, *d.Func, unsupported(im.Name+"#"+n)); err != nil {
						return nil, err
					}
				}
			}
		case component.ExternFunc:
			if err := l.DefineFunc(im.Name, *im.Desc.Func, unsupported(im.Name)); err != nil {
				return nil, err
			}
		default:
			continue
		}
		names = append(names, im.Name)
	}
	return names, nil
}

// unsupported returns a host function that fails, naming the function.
func unsupported(name string) component.HostFunc {
	return func(context.Context, []component.Val) ([]component.Val, error) {
		return nil, fmt.Errorf("preview2: %s is not supported by the host", name)
	}
}
