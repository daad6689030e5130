/** Datasets shipped with gradscope. */
export { type Mnist, mnist } from './mnist.js';
