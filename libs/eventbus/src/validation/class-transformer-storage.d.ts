// class-transformer keeps its @Type metadata in a module singleton that its package index does not
// export; @nestjs/mapped-types reads the same file. The types live apart from the CommonJS build.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  export const defaultMetadataStorage: MetadataStorage;
}
