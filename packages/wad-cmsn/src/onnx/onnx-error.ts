export { OnnxError } from '@zs-sbir/graph';
