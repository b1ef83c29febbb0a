// Synthetic customers and orders for `valuetier generate`, demos and benchmarks.
export {
  generateSyntheticData,
  type GenerateOptions,
  type GeneratedCustomer,
  type GeneratedCustomerHistory,
  type GeneratedOrder,
} from "./generate-synthetic-data";
export {
  DEFAULT_GENERATE_END,
  DEFAULT_GENERATE_PARAMETERS,
  DEFAULT_GENERATE_START,
  type AcquisitionChannel,
  type GenerateParameters,
} from "./parameters";
export {
  CUSTOMERS_CSV_HEADER,
  ORDERS_CSV_HEADER,
  csvField,
  customerCsvLine,
  orderCsvLine,
} from "./csv-lines";
