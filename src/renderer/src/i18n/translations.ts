// The type of one area's Chinese strings: every key of its English ones, so a missing one fails to compile.
export type Translations<T> = { readonly [K in keyof T]: string };
