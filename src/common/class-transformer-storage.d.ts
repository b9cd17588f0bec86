// class-transformer keeps its @Type metadata here but declares it only under types/: the input rules
// (input-rules.ts) read it to know which properties become dates and nested DTOs.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
