import { register } from 'node:module';

register('./_ts-loader.mjs', import.meta.url);
