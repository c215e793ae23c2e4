package web

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

var errorType = reflect.TypeFor[error]()

// Dispatcher calls service methods by name ("Service.Method") with JSON
// arguments, following the same rules as Wails bindings: every exported method
// of each service pointer, returning (T, error) or error.
type Dispatcher struct {
	methods map[string]boundMethod
}

type boundMethod struct {
	fn        reflect.Value
	in        []reflect.Type
	hasResult bool
}

// NewDispatcher indexes the exported methods of each service. A method whose
// results are not (T, error) or (error) is refused with ErrNotBindable.
func NewDispatcher(services []any) (*Dispatcher, error) {
	d := &Dispatcher{methods: make(map[string]boundMethod)}
	for _, svc := range services {
		v := reflect.ValueOf(svc)
		t := v.Type()
		if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("%w: service %T is not a pointer to a struct", ErrNotBindable, svc)
		}
		for i := range t.NumMethod() {
			m := t.Method(i)
			name := t.Elem().Name() + "." + m.Name
			bm, err := bind(v.Method(i))
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %w", ErrNotBindable, name, err)
			}
			d.methods[name] = bm
		}
	}
	return d, nil
}

func bind(fn reflect.Value) (boundMethod, error) {
	ft := fn.Type()
	if ft.IsVariadic() {
		return boundMethod{}, fmt.Errorf("variadic methods are not supported")
	}
	bm := boundMethod{fn: fn}
	for i := range ft.NumIn() {
		bm.in = append(bm.in, ft.In(i))
	}
	switch {
	case ft.NumOut() == 1 && ft.Out(0) == errorType:
	case ft.NumOut() == 2 && ft.Out(1) == errorType:
		bm.hasResult = true
	default:
		return boundMethod{}, fmt.Errorf("results must be (T, error) or (error)")
	}
	return bm, nil
}

// Methods lists the callable method names, sorted.
func (d *Dispatcher) Methods() []string {
	names := make([]string, 0, len(d.methods))
	for n := range d.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Call invokes method with args decoded from JSON and returns its result (nil
// for error-only methods).
func (d *Dispatcher) Call(method string, args []json.RawMessage) (any, error) {
	bm, ok := d.methods[method]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownMethod, method)
	}
	if len(args) != len(bm.in) {
		return nil, fmt.Errorf("%w: %s takes %d arguments, got %d", ErrBadArguments, method, len(bm.in), len(args))
	}
	in := make([]reflect.Value, len(args))
	for i, raw := range args {
		p := reflect.New(bm.in[i])
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			return nil, fmt.Errorf("%w: %s argument %d: %w", ErrBadArguments, method, i+1, err)
		}
		in[i] = p.Elem()
	}
	out := bm.fn.Call(in)
	errV := out[len(out)-1]
	if !errV.IsNil() {
		return nil, errV.Interface().(error)
	}
	if !bm.hasResult {
		return nil, nil
	}
	return out[0].Interface(), nil
}
