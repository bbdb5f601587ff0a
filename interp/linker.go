package interp

import (
	"context"
	"fmt"
	"sort"
)

// Linker resolves imports by module and name from definitions made in Go
// (host functions, memories, tables, globals) and from the exports of
// other instances. The zero value is an empty linker ready for use.
//
// A Linker is not safe for concurrent modification; once set up, it may
// be used to instantiate any number of modules.
type Linker struct {
	defs map[importKey]Extern
}

type importKey struct{ module, name string }

// Define makes e available as the import module.name. Defining the same
// name twice is an error.
func (l *Linker) Define(module, name string, e Extern) error {
	if e == nil {
		return fmt.Errorf("interp: linker: define %s.%s: nil extern", module, name)
	}
	if l.defs == nil {
		l.defs = map[importKey]Extern{}
	}
	k := importKey{module, name}
	if _, dup := l.defs[k]; dup {
		return fmt.Errorf("interp: linker: %s.%s is already defined", module, name)
	}
	l.defs[k] = e
	return nil
}

// DefineInstance makes every export of inst available under the module
// name module, as a later module's imports would name them.
func (l *Linker) DefineInstance(module string, inst *Instance) error {
	for _, name := range inst.ExportNames() {
		if err := l.Define(module, name, inst.Export(name)); err != nil {
			return err
		}
	}
	return nil
}

// Resolve returns the definition of module.name, or nil.
func (l *Linker) Resolve(module, name string) Extern {
	return l.defs[importKey{module, name}]
}

// Instantiate instantiates m in s with its imports taken from l.
func (l *Linker) Instantiate(ctx context.Context, s *Store, m *Module) (*Instance, error) {
	return s.Instantiate(ctx, m, l.Resolve)
}

// ExportNames returns the names of the instance's exports, sorted.
func (i *Instance) ExportNames() []string {
	names := make([]string, 0, len(i.exports))
	for n := range i.exports {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
