package dashboards

import (
	"fmt"
	"html/template"
	"strings"
)

// The site is Chinese first with an English switch. Every page carries both
// languages: a bilingual text is rendered as <span class="zh">…</span><span
// class="en">…</span> and the switch (assets/site.js) flips a class on <html>,
// without a reload; charts get one option set per language. All fixed texts
// are in messages.go; texts from the data (names, definitions) come from
// the catalog and region tables with their English columns.

// bi is a text in both languages.
type bi struct{ Zh, En string }

// same is a text that reads the same in both languages (a number).
func same(s string) bi { return bi{s, s} }

func (b bi) IsZero() bool { return b.Zh == "" && b.En == "" }

// pick returns the text of one language: "zh" or "en".
func (b bi) pick(lang string) string {
	if lang == "en" {
		return b.En
	}
	return b.Zh
}

// plus joins texts language by language.
func (b bi) plus(parts ...bi) bi {
	for _, p := range parts {
		b.Zh += p.Zh
		b.En += p.En
	}
	return b
}

// tr returns the message key. A key missing from messages shows as itself;
// TestMessagesCoverKeys fails on any such key in the code or templates.
func tr(key string) bi {
	if m, ok := messages[key]; ok {
		return m
	}
	return bi{key, key}
}

// tf formats the message key with args, each a bi (taken in the same
// language) or anything fmt prints the same in both.
func tf(key string, args ...any) bi {
	m := tr(key)
	zh := make([]any, len(args))
	en := make([]any, len(args))
	for i, a := range args {
		if b, ok := a.(bi); ok {
			zh[i], en[i] = b.Zh, b.En
		} else {
			zh[i], en[i] = a, a
		}
	}
	return bi{fmt.Sprintf(m.Zh, zh...), fmt.Sprintf(m.En, en...)}
}

// html renders b for the page: once when both languages read the same,
// else one span per language. Both texts are escaped.
func (b bi) html() template.HTML {
	if b.Zh == b.En {
		return template.HTML(template.HTMLEscapeString(b.Zh))
	}
	return template.HTML(`<span class="zh">` + template.HTMLEscapeString(b.Zh) +
		`</span><span class="en">` + template.HTMLEscapeString(b.En) + `</span>`)
}

// templateFuncs are the helpers every template may call.
var templateFuncs = template.FuncMap{
	// t renders a fixed message in both languages.
	"t": func(key string) (template.HTML, error) {
		m, ok := messages[key]
		if !ok {
			return "", fmt.Errorf("no message %q in messages.go", key)
		}
		return m.html(), nil
	},
	// tz is a fixed message in Chinese only, for attributes.
	"tz": func(key string) (string, error) {
		m, ok := messages[key]
		if !ok {
			return "", fmt.Errorf("no message %q in messages.go", key)
		}
		return m.Zh, nil
	},
	"bi": func(b bi) template.HTML { return b.html() },
	// both is "中文 / English", for attributes such as aria-label.
	"both": func(b bi) string {
		if b.Zh == b.En {
			return b.Zh
		}
		return b.Zh + " / " + b.En
	},
	"join": strings.Join,
}
