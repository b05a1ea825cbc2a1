// Base component and `@salesforce/user/*` declarations published by Salesforce.
import '@salesforce/lightning-types';
