/* The schemas are compiled into the binary so that validation never depends
 * on where kyodo is installed or run from; so is the skeleton draft that
 * `kyodo new` writes, and the gray ICC profile of PDF/A's OutputIntent
 * (KY_GRAY_ICC: Debian's icc-profiles-free, named by the Makefile). */
    .section .rodata
    .global ky_schema_draft, ky_schema_draft_end
    .global ky_schema_template, ky_schema_template_end
    .global ky_schema_fontset, ky_schema_fontset_end
    .global ky_skeleton_draft, ky_skeleton_draft_end
    .global ky_gray_icc, ky_gray_icc_end
ky_schema_draft:
    .incbin "src/schema/draft.rng"
ky_schema_draft_end:
ky_schema_template:
    .incbin "src/schema/template.rng"
ky_schema_template_end:
ky_schema_fontset:
    .incbin "src/schema/fontset.rng"
ky_schema_fontset_end:
ky_skeleton_draft:
    .incbin "src/skeleton.xml"
ky_skeleton_draft_end:
ky_gray_icc:
    .incbin KY_GRAY_ICC
ky_gray_icc_end:
    .section .note.GNU-stack,"",@progbits
