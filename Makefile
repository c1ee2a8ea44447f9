# kyodo — bilingual joint statements to PDF.
# `make statements` and `make test` install what is missing (Debian 12), build,
# and then render the drafts in input/ or run every test. A plain `make` only
# builds: it never installs anything (`make deps` and `make test-deps` do).

CC      ?= cc
BUILD   ?= build
OUT     ?= out
PREFIX  ?= /usr/local
PKGS     = harfbuzz harfbuzz-subset libxml-2.0 icu-uc nettle zlib
# Debian packages kyodo needs to build and run (`make deps`), and what the
# tests need besides (`make test-deps`: checkers, sanitizers, linters).
DEB_PKGS = gcc make pkg-config libhpdf-dev libxml2-dev libharfbuzz-dev libicu-dev nettle-dev \
           zlib1g-dev libhyphen-dev hyphen-en-us \
           fonts-ipaexfont-mincho fonts-ipaexfont-gothic fonts-liberation2 fonts-dejavu-core \
           icc-profiles-free gettext
DEB_TEST_PKGS = poppler-utils qpdf libcmocka-dev python3 valgrind clang libclang-rt-14-dev \
           clang-format clang-tidy python3-pikepdf libpdfbox2-java default-jre-headless \
           libactivation-java libjaxb-api-java zsh dpkg-dev locales groff-base

# CFLAGS, CPPFLAGS and LDFLAGS are the user's (a distribution's hardening
# flags, say); kyodo adds what it needs to them. Warnings are errors in
# `make test` and CI (WERROR=-Werror), not for a user's other compiler.
CFLAGS  ?= -O2 -g
WERROR  ?=
BASE_CFLAGS = -std=c17 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -MMD -MP -Isrc \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CPPFLAGS)
# Where kyodo finds its templates and font set: the source tree for the
# binary in build/, PREFIX/share/kyodo for the installed one.
# Its message catalogues likewise: BUILD/locale, PREFIX/share/locale.
KY_CFLAGS = $(BASE_CFLAGS) \
            -DKY_TEMPLATE_DIR='"$(CURDIR)/templates"' -DKY_FONTSET='"$(CURDIR)/fonts/fontset.xml"' \
            -DKY_LOCALE_DIR='"$(abspath $(BUILD))/locale"'
DATADIR   = $(PREFIX)/share/kyodo
LOCALEDIR = $(PREFIX)/share/locale
BASH_COMPLETIONS = $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS  = $(PREFIX)/share/zsh/vendor-completions
INSTALL_CFLAGS = $(BASE_CFLAGS) \
            -DKY_TEMPLATE_DIR='"$(DATADIR)/templates"' -DKY_FONTSET='"$(DATADIR)/fonts/fontset.xml"' \
            -DKY_LOCALE_DIR='"$(LOCALEDIR)"'
LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lhyphen -lm

LIB_SRC  = arena.c diag.c utf8.c counter.c file.c rng.c xml.c draft.c template.c font.c date.c merge.c jlreq.c hyphenate.c linebreak.c \
           typeset.c pages.c flow.c paragraph.c signatures.c table.c furniture.c layout.c pdf.c render.c \
           build.c check.c diff.c watch.c quotes.c
LIB_OBJ  = $(addprefix $(BUILD)/obj/,$(LIB_SRC:.c=.o)) $(BUILD)/obj/resources.o
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
DRAFTS   = $(wildcard input/*.xml)
KYODO    = $(BUILD)/kyodo
# Message catalogues: src/po/LANG.po, compiled to BUILD/locale (gettext).
LINGUAS  = ja
MO       = $(foreach l,$(LINGUAS),$(BUILD)/locale/$(l)/LC_MESSAGES/kyodo.mo)

.PHONY: all deps test-deps statements test test-asan valgrind fuzz fuzz-build fuzz-corpus \
        fuzz-regress fuzz-long unit bench previews format format-check tidy clean install uninstall deb po
all: $(KYODO)

# Installs the missing Debian packages (as root, or through sudo).
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PKGS)"
test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PKGS) $(DEB_TEST_PKGS)"
install-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "kyodo: could not install:$$missing" >&2; exit 1; }; \
	fi

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KY_CFLAGS) $(CFLAGS) -c $< -o $@

# PDF/A's OutputIntent profile, built into the binary (zlib licence).
GRAY_ICC ?= /usr/share/color/icc/Gray.icc
$(BUILD)/obj/resources.o: src/resources.S src/schema/draft.rng src/schema/template.rng src/schema/fontset.rng \
                          src/skeleton.xml $(GRAY_ICC)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(CC) -DKY_GRAY_ICC='"$(GRAY_ICC)"' -c $< -o $@
$(GRAY_ICC):
	@echo "kyodo: $@ is missing: 'make deps' installs it (Debian package icc-profiles-free)" >&2; exit 1

$(KYODO): $(LIB_OBJ) $(BUILD)/obj/main.o | $(MO)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# --check: a translation's format must take the arguments the English takes.
$(BUILD)/locale/%/LC_MESSAGES/kyodo.mo: src/po/%.po
	@mkdir -p $(@D)
	@echo "  MSGFMT  $<"
	@msgfmt --check -o $@ $<

# Extracts the messages again into src/po/kyodo.pot and merges them into each
# catalogue (make test fails until each new message is translated).
po:
	sh src/po/extract.sh src/po/kyodo.pot
	@for l in $(LINGUAS); do msgmerge --quiet --update --backup=none --sort-output --no-wrap \
	  --add-location=file src/po/$$l.po src/po/kyodo.pot || exit 1; done

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(@D) $(BUILD)/deps
	@echo "  TEST    $@"
	@$(CC) $(KY_CFLAGS) $(CFLAGS) -MF $(BUILD)/deps/$(@F).d $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS) -lcmocka

# kyodo's own build decides what is out of date (by content hash, kept in
# out/.kyodo/), renders in parallel and never leaves a partial PDF.
statements: deps
	@$(MAKE) --no-print-directory $(KYODO)
	$(KYODO) build input -o $(OUT) --name '{draft}'
	$(KYODO) build input -o $(OUT) --layout parallel --name '{draft}-parallel'

unit: $(UNIT_BIN)

test: test-deps
	@$(MAKE) --no-print-directory WERROR=-Werror $(KYODO) $(UNIT_BIN)
	@KYODO=$(KYODO) UNIT_BIN="$(UNIT_BIN)" sh tests/run.sh

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer
# (a separate build in build/asan; any finding aborts the test that met it).
SANITIZE = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test-asan:
	@KY_SANITIZED=1 $(MAKE) --no-print-directory test BUILD=$(BUILD)/asan CFLAGS="$(SANITIZE)"

# libFuzzer on the whole pipeline (clang, in build/fuzz): fuzz-render takes
# its bytes as a draft, fuzz-template as a template and font set (see
# tests/fuzz/fuzz_template.c) with which the sample is rendered. `make fuzz`
# first runs each over its corpus in tests/fuzz/corpus once (every past
# finding is a regression input), then fuzzes each for FUZZ_SECONDS with the
# dictionary of the schemas' names; a crash or sanitizer finding fails it and
# leaves the input in build/fuzz/. `make fuzz-long` fuzzes each for an hour
# and merges what is new (minimized) into tests/fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_LONG_SECONDS ?= 3600
FUZZ_HARNESSES = render template
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OPTIONS = -max_len=65536 -timeout=20 -rss_limit_mb=2048 -dict=$(CURDIR)/tests/fuzz/kyodo.dict
$(BUILD)/fuzz-%: tests/fuzz/fuzz_%.c $(LIB_OBJ)
	@echo "  FUZZ    $@"
	@$(CC) $(KY_CFLAGS) -DKY_FUZZ_DRAFT='"$(CURDIR)/$(SAMPLE)"' $(CFLAGS) -fsanitize=fuzzer \
	  -o $@ $< $(LIB_OBJ) $(LIBS)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" \
	  $(BUILD)/fuzz/fuzz-render $(BUILD)/fuzz/fuzz-template

# Working corpora in build/fuzz: the committed one and, for drafts, every
# draft in the repository.
fuzz-corpus:
	@rm -rf $(BUILD)/fuzz/corpus-render $(BUILD)/fuzz/corpus-template
	@mkdir -p $(BUILD)/fuzz/corpus-render $(BUILD)/fuzz/corpus-template
	@cp tests/fuzz/corpus/render/* input/*.xml tests/*.xml tests/bad/*.xml tests/lint/*.xml \
	  tests/typesetting/*.xml $(BUILD)/fuzz/corpus-render/
	@cp tests/fuzz/corpus/template/* templates/*.xml tests/typesetting/templates/*.xml \
	  $(BUILD)/fuzz/corpus-template/

fuzz-regress: fuzz-build
	@for h in $(FUZZ_HARNESSES); do \
	  echo "  REGRESS fuzz-$$h over tests/fuzz/corpus/$$h"; \
	  (cd $(BUILD)/fuzz && ./fuzz-$$h -runs=0 -timeout=60 -rss_limit_mb=2048 \
	    $(CURDIR)/tests/fuzz/corpus/$$h > regress-$$h.log 2>&1) \
	    || { tail -n 40 $(BUILD)/fuzz/regress-$$h.log; exit 1; }; \
	done

fuzz: fuzz-regress fuzz-corpus
	@for h in $(FUZZ_HARNESSES); do \
	  echo "  FUZZ    fuzz-$$h for $(FUZZ_SECONDS) s"; \
	  (cd $(BUILD)/fuzz && ./fuzz-$$h -max_total_time=$(FUZZ_SECONDS) $(FUZZ_OPTIONS) \
	    -print_final_stats=1 corpus-$$h) || exit 1; \
	done

# New units go to new-NAME (the first directory given), so that only what the
# fuzzer made, never a copy of a repository draft, is merged.
fuzz-long: fuzz-regress fuzz-corpus
	@for h in $(FUZZ_HARNESSES); do \
	  echo "  FUZZ    fuzz-$$h for $(FUZZ_LONG_SECONDS) s"; \
	  rm -rf $(BUILD)/fuzz/new-$$h && mkdir -p $(BUILD)/fuzz/new-$$h; \
	  (cd $(BUILD)/fuzz && ./fuzz-$$h -max_total_time=$(FUZZ_LONG_SECONDS) $(FUZZ_OPTIONS) \
	    -print_final_stats=1 new-$$h corpus-$$h) || exit 1; \
	  (cd $(BUILD)/fuzz && ./fuzz-$$h -merge=1 $(FUZZ_OPTIONS) \
	    $(CURDIR)/tests/fuzz/corpus/$$h new-$$h) || exit 1; \
	done

bench: $(KYODO)
	@python3 tests/bench.py $(KYODO) 11

# The README's pictures: the sample's first page in each language, and a
# thumbnail of every draft's first page in the sequential and parallel layouts.
SAMPLE = input/japan-india-cyber-dialogue.xml
previews: $(KYODO)
	@mkdir -p $(BUILD)/previews templates/previews
	@for lang in en ja; do \
	  $(KYODO) render $(SAMPLE) --layout $$lang -o $(BUILD)/previews/$$lang.pdf && \
	  pdftoppm -r 50 -png -f 1 -l 1 -singlefile $(BUILD)/previews/$$lang.pdf \
	    templates/previews/joint-statement-$$lang; \
	done
	@for draft in $(DRAFTS); do \
	  name=$$(basename $$draft .xml); \
	  for layout in sequential parallel; do \
	    $(KYODO) render $$draft --layout $$layout -o $(BUILD)/previews/$$name-$$layout.pdf && \
	    pdftoppm -r 28 -png -f 1 -l 1 -singlefile $(BUILD)/previews/$$name-$$layout.pdf \
	      templates/previews/$$name-$$layout; \
	  done; \
	done
	@$(KYODO) render input/japan-india-summit-2015.xml --layout en -o $(BUILD)/previews/summit-en.pdf && \
	  pdftoppm -r 50 -png -f 1 -l 1 -singlefile $(BUILD)/previews/summit-en.pdf \
	    templates/previews/summit-lists-en && \
	  pdftoppm -r 50 -png -f 3 -l 3 -singlefile $(BUILD)/previews/summit-en.pdf \
	    templates/previews/summit-annex-table-en
	@ls templates/previews

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary (built for its
# installed data directory), templates, schemas, font set, the man page and
# its Japanese version, the message catalogues and the bash and zsh completions.
# INSTALL_BUILD holds the objects built for PREFIX (the tests put theirs in
# their temporary directory, not one more folder in build/ per test run).
INSTALL_BUILD = $(BUILD)/install$(subst /,_,$(PREFIX))
$(INSTALL_BUILD)/render.o: src/render.c
	@mkdir -p $(@D)
	@echo "  CC      $< (for $(DATADIR))"
	@$(CC) $(INSTALL_CFLAGS) $(CFLAGS) -MF $(INSTALL_BUILD)/render.d -c $< -o $@

$(INSTALL_BUILD)/main.o: src/main.c
	@mkdir -p $(@D)
	@echo "  CC      $< (for $(LOCALEDIR))"
	@$(CC) $(INSTALL_CFLAGS) $(CFLAGS) -MF $(INSTALL_BUILD)/main.d -c $< -o $@

$(INSTALL_BUILD)/kyodo: $(filter-out $(BUILD)/obj/render.o,$(LIB_OBJ)) $(INSTALL_BUILD)/render.o $(INSTALL_BUILD)/main.o
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

install: $(INSTALL_BUILD)/kyodo $(MO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/schema \
	  $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(INSTALL_BUILD)/kyodo $(DESTDIR)$(PREFIX)/bin/kyodo
	install -m 644 templates/*.xml $(DESTDIR)$(DATADIR)/templates/
	install -m 644 src/schema/*.rng $(DESTDIR)$(DATADIR)/schema/
	install -m 644 fonts/fontset.xml $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 kyodo.1 $(DESTDIR)$(PREFIX)/share/man/man1/kyodo.1
	install -d $(DESTDIR)$(PREFIX)/share/man/ja/man1
	install -m 644 src/man/ja/kyodo.1 $(DESTDIR)$(PREFIX)/share/man/ja/man1/kyodo.1
	install -d $(DESTDIR)$(BASH_COMPLETIONS) $(DESTDIR)$(ZSH_COMPLETIONS)
	install -m 644 src/completion/kyodo.bash $(DESTDIR)$(BASH_COMPLETIONS)/kyodo
	install -m 644 src/completion/_kyodo $(DESTDIR)$(ZSH_COMPLETIONS)/_kyodo
	for l in $(LINGUAS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	  install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/kyodo.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/kyodo.mo \
	  || exit 1; done

# make deb: a Debian package (BUILD/deb/kyodo_VERSION_ARCH.deb, or in DEB_DIR)
# of what `make install PREFIX=/usr` stages, built with dpkg-deb; its control
# file is src/debian/control.in. Its dependencies: the shared libraries the
# binary links (dpkg-shlibdeps, from dpkg-dev) and the data packages of
# DEB_PKGS (fonts, hyphenation patterns) that are not for building.
DEB_DIR     ?= $(BUILD)/deb
DEB_VERSION  = $(shell sed -n 's/^\#define KY_VERSION "\(.*\)"/\1/p' src/version.h)
DEB_ARCH     = $(shell dpkg --print-architecture)
# (icc-profiles-free's Gray.icc is built into the binary: not a dependency.)
DEB_DATA     = $(filter-out gcc make pkg-config %-dev icc-profiles-free gettext,$(DEB_PKGS))
DEB_ROOT     = $(DEB_DIR)/root
deb:
	@command -v dpkg-deb > /dev/null && command -v dpkg-shlibdeps > /dev/null \
	  || { echo "kyodo: make deb needs dpkg-deb and dpkg-shlibdeps (apt-get install dpkg-dev)" >&2; exit 2; }
	@rm -rf $(DEB_ROOT) && mkdir -p $(DEB_ROOT)/DEBIAN $(DEB_DIR)/debian
	@$(MAKE) --no-print-directory -s install PREFIX=/usr DESTDIR=$(abspath $(DEB_ROOT)) > /dev/null
	@gzip -9n $(DEB_ROOT)/usr/share/man/man1/kyodo.1 $(DEB_ROOT)/usr/share/man/ja/man1/kyodo.1
	@install -d $(DEB_ROOT)/usr/share/doc/kyodo
	@install -m 644 LICENSE $(DEB_ROOT)/usr/share/doc/kyodo/copyright
	@install -m 644 src/NEWS.md $(DEB_ROOT)/usr/share/doc/kyodo/NEWS.md
	@printf 'Source: kyodo\n\nPackage: kyodo\nArchitecture: any\n' > $(DEB_DIR)/debian/control
	@libs=$$(cd $(DEB_DIR) && dpkg-shlibdeps -O root/usr/bin/kyodo | sed -n 's/^shlibs:Depends=//p') \
	  && test -n "$$libs" || { echo "kyodo: dpkg-shlibdeps failed" >&2; exit 1; }; \
	  sed -e 's/@VERSION@/$(DEB_VERSION)/' -e 's/@ARCH@/$(DEB_ARCH)/' \
	    -e "s/@SIZE@/$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)/" \
	    -e "s/@DEPENDS@/$$libs, $$(echo $(DEB_DATA) | sed 's/ /, /g')/" \
	    src/debian/control.in > $(DEB_ROOT)/DEBIAN/control
	@(cd $(DEB_ROOT) && find usr -type f | sort | xargs md5sum) > $(DEB_ROOT)/DEBIAN/md5sums
	@dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) \
	  $(DEB_DIR)/kyodo_$(DEB_VERSION)_$(DEB_ARCH).deb > /dev/null
	@echo "$(DEB_DIR)/kyodo_$(DEB_VERSION)_$(DEB_ARCH).deb"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kyodo $(DESTDIR)$(PREFIX)/share/man/man1/kyodo.1 \
	  $(DESTDIR)$(PREFIX)/share/man/ja/man1/kyodo.1 \
	  $(DESTDIR)$(BASH_COMPLETIONS)/kyodo $(DESTDIR)$(ZSH_COMPLETIONS)/_kyodo \
	  $(foreach l,$(LINGUAS),$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/kyodo.mo)
	rm -rf $(DESTDIR)$(DATADIR)

# Formatting (.clang-format) and static analysis (.clang-tidy); CI runs
# format-check and tidy.
FORMATTED = $(wildcard src/*.c src/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c)
format:
	clang-format -i $(FORMATTED)
format-check:
	clang-format --dry-run --Werror $(FORMATTED)
TIDY_SRC ?= $(wildcard src/*.c)
tidy:
	clang-tidy --quiet $(TIDY_SRC) -- $(KY_CFLAGS) -Wno-unknown-warning-option

clean:
	rm -rf $(BUILD) $(OUT)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/deps/*.d $(INSTALL_BUILD)/*.d)
