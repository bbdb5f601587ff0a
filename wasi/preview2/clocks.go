package preview2

import (
	"context"
	"time"

	"github.com/gowasm/gowasm/component"
)

// defineClocks defines wasi:clocks wall-clock and monotonic-clock (the
// timezone interface is unstable in 0.2.12 and not defined).
//
// Monotonic instants are nanoseconds since the host was created.
func (h *Host) defineClocks(l linker) error {
	t := h.ioTypes()
	datetime := component.RecordOf(
		component.Field{Name: "seconds", Type: u64T},
		component.Field{Name: "nanoseconds", Type: component.Prim(component.KindU32)})
	dt := func(sec uint64, nsec uint32) component.Val {
		return component.Record(
			component.NamedVal{Name: "seconds", Val: component.U64(sec)},
			component.NamedVal{Name: "nanoseconds", Val: component.U32(nsec)})
	}

	d := &definer{l: l, iface: "wasi:clocks/wall-clock"}
	d.fn("now", nil, datetime, func(context.Context, []component.Val) ([]component.Val, error) {
		now := time.Now
		if h.cfg.Now != nil {
			now = h.cfg.Now
		}
		ns := now().UnixNano()
		if ns < 0 { // before 1970: the datetime cannot say it
			ns = 0
		}
		return []component.Val{dt(uint64(ns/1e9), uint32(ns%1e9))}, nil
	})
	d.fn("resolution", nil, datetime, func(context.Context, []component.Val) ([]component.Val, error) {
		return []component.Val{dt(0, 1)}, nil
	})
	if d.err != nil {
		return d.err
	}

	d = &definer{l: l, iface: "wasi:clocks/monotonic-clock"}
	d.fn("now", nil, u64T, func(context.Context, []component.Val) ([]component.Val, error) {
		return []component.Val{component.U64(h.monotonic())}, nil
	})
	d.fn("resolution", nil, u64T, func(context.Context, []component.Val) ([]component.Val, error) {
		return []component.Val{component.U64(1)}, nil
	})
	d.fn("subscribe-instant", params(param("when", u64T)), t.ownPoll, func(_ context.Context, a []component.Val) ([]component.Val, error) {
		return []component.Val{h.newPollable(&pollable{deadline: h.instantTime(a[0].AsUint())})}, nil
	})
	d.fn("subscribe-duration", params(param("when", u64T)), t.ownPoll, func(_ context.Context, a []component.Val) ([]component.Val, error) {
		return []component.Val{h.newPollable(&pollable{deadline: h.instantTime(min(h.monotonic(), maxInstant) + min(a[0].AsUint(), maxInstant))})}, nil
	})
	return d.err
}

// maxInstant bounds monotonic instants used as deadlines (about 292
// years, the range of time.Duration).
const maxInstant = uint64(1<<63 - 1)

// monotonic returns the monotonic clock: nanoseconds since NewHost.
func (h *Host) monotonic() uint64 { return uint64(time.Since(h.start)) }

// instantTime returns the time of monotonic instant ns (saturating).
func (h *Host) instantTime(ns uint64) time.Time {
	return h.start.Add(time.Duration(min(ns, maxInstant)))
}
