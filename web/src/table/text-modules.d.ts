// Data files the page bundles as text (esbuild's `with { type: 'text' }`).
declare module '*.csv' {
  const text: string;
  export default text;
}
